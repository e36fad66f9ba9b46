//! Solution to ch01::ex03: line endings.

// ANCHOR: solution
/// Splits `buffer` into the complete lines it holds and the unfinished rest.
pub fn split_lines(buffer: &str) -> (Vec<&str>, &str) {
    let bytes = buffer.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0; // where the current line begins
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&buffer[start..i]);
                start = i + 1;
            }
            b'\r' => {
                if i + 1 == bytes.len() {
                    // Maybe the first half of a CRLF: decide when more input arrives.
                    break;
                }
                lines.push(&buffer[start..i]);
                if bytes[i + 1] == b'\n' {
                    i += 1; // CRLF is one line ending
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    // Slicing at `start` is safe: it is always just after an ASCII CR or LF.
    (lines, &buffer[start..])
}
// ANCHOR_END: solution
