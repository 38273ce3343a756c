fn main() -> std::process::ExitCode {
    kyodo::cli::main()
}
