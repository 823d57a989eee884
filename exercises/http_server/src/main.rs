fn main() {
    todo!("http_server")
}
