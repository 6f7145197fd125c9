//! The `lophoc-server` command: serve the app, or check a content folder.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};
use lophoc_server::{app_with_live, content, seed, store::Store, AppState};

#[derive(Parser)]
#[command(name = "lophoc-server", version, about = "Lophoc server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LOPHOC_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Database URL; the SQLite file is created if missing.
    #[arg(
        long,
        env = "LOPHOC_DATABASE_URL",
        default_value = "sqlite://data/lophoc.db"
    )]
    database: String,
    /// Folder of course folders, published on start.
    #[arg(long, env = "LOPHOC_CONTENT_DIR", default_value = "content")]
    content: PathBuf,
    /// Folder of the built client.
    #[arg(long, env = "LOPHOC_DIST_DIR", default_value = "dist")]
    dist: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the client (the default).
    Serve,
    /// Work with course content.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Load and validate a course folder (or a folder of course folders)
    /// without publishing; print every problem with its file and line.
    Check { dir: PathBuf },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "lophoc_server=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Content {
            command: ContentCommand::Check { dir },
        }) => check(&dir),
        Some(Command::Serve) | None => match serve(cli.serve) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lophoc-server: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

fn check(dir: &std::path::Path) -> ExitCode {
    let dirs = match content::course_dirs(dir) {
        Ok(dirs) if !dirs.is_empty() => dirs,
        Ok(_) => {
            eprintln!(
                "{}: no course.toml here or in its sub-folders",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let mut ok = true;
    for dir in dirs {
        match content::load_course(&dir) {
            Ok(course) => println!(
                "{}: ok — {} modules, {} lessons, {} situation sets, {} assessments, {} media files",
                dir.display(),
                course.outline.modules.len(),
                course.lessons.len(),
                course.situations.len(),
                course.assessments.len(),
                course.media.len()
            ),
            Err(errors) => {
                ok = false;
                eprintln!("{errors}");
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?
        .block_on(async move {
            if let Some(path) = args.database.strip_prefix("sqlite://") {
                let path = path.split('?').next().unwrap_or(path);
                if let Some(parent) = std::path::Path::new(path).parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent)
                            .with_context(|| format!("creating {}", parent.display()))?;
                    }
                }
            }
            let store = Store::open(&args.database)
                .await
                .with_context(|| format!("opening the database {}", args.database))?;
            seed::seed_demo_accounts(&store).await.context("seeding demo accounts")?;
            seed::publish_content(&store, &args.content)
                .await
                .context("publishing content")?;
            if !args.dist.join("index.html").is_file() {
                tracing::warn!(dist = %args.dist.display(), "the client is not built; run `make build`");
            }
            let listener = tokio::net::TcpListener::bind(args.listen)
                .await
                .with_context(|| format!("listening on {}", args.listen))?;
            let address = listener.local_addr().context("reading the bound address")?;
            tracing::info!("Lophoc đang chạy tại / is running at http://{address}");
            let state = AppState {
                store: store.clone(),
                dist_dir: args.dist,
            };
            let (router, live) = app_with_live(state);
            // On SIGTERM or Ctrl-C: the live results queued so far are
            // written at once (open connections may keep the server up a
            // while longer), then again once every connection is closed.
            let stopping = {
                let live = live.clone();
                async move {
                    shutdown_signal().await;
                    tracing::info!("stopping: writing queued live session results");
                    flush_live(&live).await;
                }
            };
            axum::serve(listener, router)
                .with_graceful_shutdown(stopping)
                .await
                .context("serving")?;
            flush_live(&live).await;
            store.close().await;
            Ok(())
        })
}

/// Writes the queued live session results, waiting up to a minute (a
/// service manager's stop timeout is usually longer).
async fn flush_live(live: &lophoc_server::live::Hub) {
    if !live.flush(std::time::Duration::from_secs(60)).await {
        tracing::error!("live session results could not all be written before stopping");
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
