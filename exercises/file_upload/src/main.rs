//! file_upload ADDR DEST_DIR: a file-upload server; each connection sends a
//! header line `NAME SIZE\n` and exactly SIZE bytes, stored as DEST_DIR/NAME.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: file_upload ADDR DEST_DIR");
        process::exit(2);
    }
    let (addr, dest) = (&args[1], &args[2]);
    // TODO: listen on ADDR (on failure: a message on stderr, exit 2), then
    // serve one connection after another, one upload each:
    // - read the header line `NAME SIZE\n` up to its `\n` (it may arrive in
    //   several reads, together with the first bytes of the content);
    // - a bad NAME (empty, `.`, `..`, containing `/` or `\`) or a malformed
    //   header: reply `ERR <reason>\n` and write nothing;
    // - read exactly SIZE bytes into a temporary file in DEST_DIR, rename it
    //   to DEST_DIR/NAME once complete, reply `OK\n`;
    // - if the connection ends first, remove the temporary file.
    // A client that misbehaves must never stop the server.
    todo!("serve uploads on {addr} into {dest}")
}
