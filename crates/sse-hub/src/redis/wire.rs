//! Redis replies, read into the hub's types: entries, `XINFO STREAM`, `XREAD` and the publish
//! script's answer. Pure (no connection), so every odd reply is a unit test.

use redis::Value;

use crate::id::EventId;
use crate::idempotency::Receipt;
use crate::resume::StreamState;

/// An entry as read: its id, event type and data.
pub(super) type Entry = (EventId, Option<String>, String);

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(text) => Some(text.clone()),
        _ => None,
    }
}

/// An id as Redis writes it, `None` for anything else.
pub(super) fn id_of(value: &Value) -> Option<EventId> {
    text_of(value)?.parse().ok()
}

/// `[id, [field, value, ...]]` entries.
pub(super) fn parse_entries(value: &Value) -> Vec<Entry> {
    let Value::Array(entries) = value else {
        return Vec::new();
    };
    entries.iter().filter_map(parse_entry).collect()
}

fn parse_entry(value: &Value) -> Option<Entry> {
    let Value::Array(parts) = value else {
        return None;
    };
    let id = id_of(parts.first()?)?;
    let Some(Value::Array(fields)) = parts.get(1) else {
        return None;
    };
    let mut event = None;
    let mut data = None;
    for pair in fields.chunks(2) {
        if let [name, value] = pair {
            match text_of(name).as_deref() {
                Some("event") => event = text_of(value),
                Some("data") => data = text_of(value),
                _ => {}
            }
        }
    }
    Some((id, event, data?))
}

/// `XREAD`'s reply, `[[key, entries], ...]` (or a RESP3 map), as each key's channel (the key
/// without `prefix`) and its entries. Nil (the block timed out, or `CLIENT UNBLOCK`) is empty.
pub(super) fn parse_xread(reply: &Value, prefix: &str) -> Vec<(String, Vec<Entry>)> {
    let streams: Vec<(&Value, &Value)> = match reply {
        Value::Array(items) => items
            .iter()
            .filter_map(|s| match s {
                Value::Array(pair) if pair.len() == 2 => Some((&pair[0], &pair[1])),
                _ => None,
            })
            .collect(),
        Value::Map(items) => items.iter().map(|(k, v)| (k, v)).collect(),
        _ => Vec::new(),
    };
    streams
        .into_iter()
        .filter_map(|(key, entries)| {
            let name = text_of(key)?.strip_prefix(prefix)?.to_owned();
            Some((name, parse_entries(entries)))
        })
        .collect()
}

/// The publish script's `{id, duplicate}`.
pub(super) fn parse_receipt(reply: &Value) -> Option<Receipt> {
    match reply {
        Value::Array(parts) => match parts.as_slice() {
            [id, Value::Int(flag)] => id_of(id).map(|id| Receipt {
                id,
                duplicate: *flag == 1,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// `XINFO STREAM`'s flat `[name, value, ...]` reply (or a RESP3 map).
pub(super) fn parse_stream_state(value: &Value) -> StreamState {
    let pairs: Vec<(&Value, &Value)> = match value {
        Value::Array(items) => items
            .chunks(2)
            .filter_map(|p| match p {
                [k, v] => Some((k, v)),
                _ => None,
            })
            .collect(),
        Value::Map(items) => items.iter().map(|(k, v)| (k, v)).collect(),
        _ => Vec::new(),
    };
    let mut state = StreamState::default();
    let (mut length, mut added) = (0i64, 0i64);
    for (name, value) in pairs {
        match (text_of(name).as_deref(), value) {
            (Some("last-generated-id"), _) => state.last = id_of(value).unwrap_or_default(),
            (Some("max-deleted-entry-id"), _) => {
                state.max_deleted = id_of(value).unwrap_or_default();
            }
            (Some("first-entry"), _) => state.first = parse_entry(value).map(|e| e.0),
            (Some("length"), Value::Int(n)) => length = *n,
            (Some("entries-added"), Value::Int(n)) => added = *n,
            _ => {}
        }
    }
    // `max-deleted-entry-id` only follows XDEL; a trim (MAXLEN) shows as fewer entries than were
    // added. Then everything before the first entry is gone: count the id just before it as
    // deleted, so that any older id is a gap.
    if added > length {
        let before_first = match state.first {
            Some(first) if first.low > 0 => EventId::new(first.high, first.low - 1),
            Some(first) => EventId::new(first.high.saturating_sub(1), u64::MAX),
            None => state.last,
        };
        state.max_deleted = state.max_deleted.max(before_first);
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resume::decide;

    fn bulk(text: &str) -> Value {
        Value::BulkString(text.as_bytes().to_vec())
    }

    fn entry(id: &str, fields: &[&str]) -> Value {
        Value::Array(vec![
            bulk(id),
            Value::Array(fields.iter().map(|f| bulk(f)).collect()),
        ])
    }

    #[test]
    fn entries_are_read_with_their_event_type_and_odd_ones_are_skipped() {
        let reply = Value::Array(vec![
            entry("5-1", &["data", "one"]),
            entry("5-2", &["event", "tick", "data", "two"]),
            entry("5-3", &["other", "x"]),      // no data: not ours
            entry("not-an-id", &["data", "x"]), // not an id
            Value::Nil,
        ]);
        assert_eq!(
            parse_entries(&reply),
            [
                (EventId::new(5, 1), None, "one".to_owned()),
                (
                    EventId::new(5, 2),
                    Some("tick".to_owned()),
                    "two".to_owned()
                ),
            ]
        );
        assert!(parse_entries(&Value::Nil).is_empty());
    }

    #[test]
    fn xread_replies_name_each_channel_without_the_prefix() {
        let reply = Value::Array(vec![
            Value::Array(vec![
                bulk("sse:news"),
                Value::Array(vec![entry("5-1", &["data", "one"])]),
            ]),
            Value::Array(vec![bulk("other:x"), Value::Array(vec![])]), // not our prefix
        ]);
        assert_eq!(
            parse_xread(&reply, "sse:"),
            [(
                "news".to_owned(),
                vec![(EventId::new(5, 1), None, "one".to_owned())]
            )]
        );
        assert!(
            parse_xread(&Value::Nil, "sse:").is_empty(),
            "a block that timed out"
        );
    }

    #[test]
    fn the_script_answers_an_id_and_whether_it_was_a_duplicate() {
        let reply = |flag| Value::Array(vec![bulk("7-1"), Value::Int(flag)]);
        assert_eq!(
            parse_receipt(&reply(1)),
            Some(Receipt {
                id: EventId::new(7, 1),
                duplicate: true
            })
        );
        assert_eq!(parse_receipt(&reply(0)).map(|r| r.duplicate), Some(false));
        assert_eq!(parse_receipt(&Value::Nil), None);
    }

    #[test]
    fn xinfo_stream_becomes_a_stream_state_and_a_trim_counts_as_deletion() {
        let info = |length: i64, added: i64| {
            Value::Array(vec![
                bulk("length"),
                Value::Int(length),
                bulk("last-generated-id"),
                bulk("9-4"),
                bulk("max-deleted-entry-id"),
                bulk("0-0"),
                bulk("entries-added"),
                Value::Int(added),
                bulk("first-entry"),
                entry("9-2", &["data", "x"]),
            ])
        };
        let whole = parse_stream_state(&info(3, 3));
        assert_eq!(
            whole,
            StreamState {
                origin: EventId::ZERO,
                first: Some(EventId::new(9, 2)),
                last: EventId::new(9, 4),
                max_deleted: EventId::ZERO,
            }
        );
        // Five added, three kept: everything before 9-2 is gone.
        let trimmed = parse_stream_state(&info(3, 5));
        assert_eq!(trimmed.max_deleted, EventId::new(9, 1));
        assert!(decide(Some(EventId::new(9, 0)), &trimmed).gap);
        assert!(!decide(Some(EventId::new(9, 2)), &trimmed).gap);
        assert_eq!(parse_stream_state(&Value::Nil), StreamState::default());
    }
}
