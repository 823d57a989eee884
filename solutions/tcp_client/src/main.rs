// Placeholder: the exercise is being written.
fn main() {}
