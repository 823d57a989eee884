fn main() {
    todo!("copy_dir")
}
