pub mod ch01;
