fn main() {
    todo!("talk_split")
}
