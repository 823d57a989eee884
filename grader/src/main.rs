//! `grader`: grades a socklings submission (`cargo grade`), lists the
//! exercises, gives hints, and (for instructors) checks the course, grades
//! a class and releases the student repository. The command layer is
//! [`cli`]; the work is the `grader` library's.
mod cli;

fn main() -> std::process::ExitCode {
    grader::sandbox::serve_as_init_if_asked();
    grader::sandbox::raise_open_files();
    cli::main()
}
