//! Entry point of the web client: it only mounts the app (see `app.rs`).

fn main() {
    lophoc::start();
}
