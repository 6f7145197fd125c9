//! The `lophoc-server` command: serve the app, check a content folder,
//! create the first accounts, back up the database.
//!
//! `--demo` (what `make run` passes) fills an empty database with the demo
//! centre, class and accounts; without it a new database has no account at
//! all, and `lophoc-server user create` makes the first (see `admin.rs` and
//! `docs/deploy.md`).

use std::{
    io::{BufRead, IsTerminal},
    net::SocketAddr,
    path::PathBuf,
    process::ExitCode,
    time::Duration,
};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use lophoc_core::accounts::Role;
use lophoc_server::{
    admin::{self, NewStaff},
    app_with_live, content,
    security::Security,
    seed,
    store::{Engine, Store},
    AppState,
};

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
    /// Database URL: `sqlite://FILE` (created if missing) or
    /// `postgres://USER@HOST/DATABASE` (an existing, empty or Lophoc, database).
    #[arg(
        long,
        global = true,
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
    /// Fill an empty database with the demo centre, class and accounts
    /// (whose passwords are in the README): for trying Lophoc, never for a
    /// real centre.
    #[arg(long, env = "LOPHOC_DEMO")]
    demo: bool,
    /// The address people use, when it is not this server's own, e.g.
    /// `https://lophoc.example.vn` behind a TLS reverse proxy: requests must
    /// come from its pages, and with https:// the session cookie is
    /// `Secure` with the `__Host-` prefix and HSTS is sent.
    #[arg(long, env = "LOPHOC_PUBLIC_URL")]
    public_url: Option<String>,
    /// This instance's own address as the other instances of the same
    /// PostgreSQL database reach it, e.g. `http://10.0.0.5:8080`, when
    /// several serve behind one reverse proxy: each live session is held
    /// by the instance that opened it and relayed by the others (see
    /// docs/scale-out.md).
    #[arg(long, env = "LOPHOC_INSTANCE_URL")]
    instance_url: Option<String>,
    /// A reverse proxy on another machine (its IP address) whose
    /// `X-Forwarded-For` names the client, for the login throttle and the
    /// live look-up limits; one on this machine is always trusted. Several
    /// separated by commas.
    #[arg(long, env = "LOPHOC_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
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
    /// Create accounts from the server's command line (the first province
    /// admin of a new installation).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Copy the database to FILE while the server runs (a consistent
    /// snapshot, checked); FILE must not exist yet.
    Backup { file: PathBuf },
    /// Copy the whole database into an empty one at URL, e.g. from SQLite
    /// to `postgres://USER@HOST/DATABASE`; stop the server first.
    CopyTo { url: String },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff account. The password is asked at the terminal (twice)
    /// or read from the first line of standard input; never give it as an
    /// argument.
    Create {
        #[arg(long, value_enum)]
        role: StaffRole,
        #[arg(long)]
        username: String,
        /// Họ và tên (defaults to the username).
        #[arg(long)]
        full_name: Option<String>,
        /// The centre of a centre admin or lecturer, by name (created if new).
        #[arg(long)]
        centre: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StaffRole {
    ProvinceAdmin,
    CentreAdmin,
    Lecturer,
}

impl From<StaffRole> for Role {
    fn from(role: StaffRole) -> Role {
        match role {
            StaffRole::ProvinceAdmin => Role::ProvinceAdmin,
            StaffRole::CentreAdmin => Role::CentreAdmin,
            StaffRole::Lecturer => Role::Lecturer,
        }
    }
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
        Some(Command::User {
            command:
                UserCommand::Create {
                    role,
                    username,
                    full_name,
                    centre,
                },
        }) => {
            let staff = NewStaff {
                full_name: full_name.unwrap_or_else(|| username.clone()),
                username,
                role: role.into(),
                centre,
            };
            report(create_user(&cli.serve.database, staff))
        }
        Some(Command::Backup { file }) => report(backup(&cli.serve.database, &file)),
        Some(Command::CopyTo { url }) => report(copy_to(&cli.serve.database, &url)),
        Some(Command::Serve) | None => report(serve(cli.serve)),
    }
}

fn report(outcome: anyhow::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lophoc-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")
}

/// Creates the folder of a SQLite database file if missing.
fn ensure_database_folder(database: &str) -> anyhow::Result<()> {
    if let Some(path) = database.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
        }
    }
    Ok(())
}

/// The new account's password: asked twice at a terminal, else the first
/// line of standard input (for scripts: `printf '%s\n' "$PASS" | …`).
fn read_new_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        loop {
            let first = rpassword::prompt_password("Mật khẩu / Password: ")?;
            if let Some(problem) = admin::password_problem(&first) {
                eprintln!("{problem}");
                continue;
            }
            let again = rpassword::prompt_password("Nhập lại / Again: ")?;
            if first == again {
                return Ok(first);
            }
            eprintln!("Hai lần nhập không khớp / the two do not match");
        }
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn create_user(database: &str, staff: NewStaff) -> anyhow::Result<()> {
    let password = read_new_password()?;
    ensure_database_folder(database)?;
    runtime()?.block_on(async {
        let store = Store::open(database)
            .await
            .with_context(|| format!("opening the database {database}"))?;
        let created = admin::create_staff(&store, &staff, password).await;
        store.close().await;
        let id = created?;
        println!(
            "Đã tạo / created: {} ({}), id {id}",
            staff.username,
            staff.role.as_str()
        );
        Ok(())
    })
}

fn backup(database: &str, file: &std::path::Path) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let done = admin::backup(database, file).await?;
        println!(
            "Đã sao lưu / backed up: {} ({} bytes, {} accounts)",
            file.display(),
            done.bytes,
            done.users
        );
        Ok(())
    })
}

fn copy_to(database: &str, url: &str) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let counts = lophoc_server::copy::copy_database(database, url).await?;
        let rows: i64 = counts.iter().map(|(_, n)| n).sum();
        println!(
            "Đã chép / copied {rows} rows in {} tables to {}",
            counts.len(),
            lophoc_server::copy::redact(url)
        );
        for (table, n) in counts {
            println!("  {table}: {n}");
        }
        Ok(())
    })
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
    let security = Security::new(args.public_url.as_deref())
        .map_err(|e| anyhow::anyhow!("--public-url: {e}"))?
        .trusting(args.trusted_proxy.clone());
    runtime()?.block_on(async move {
        ensure_database_folder(&args.database)?;
        let store = Store::open(&args.database)
            .await
            .with_context(|| format!("opening the database {}", args.database))?;
        // Instances started at once fill the database one at a time.
        let filling = store.lock_start().await?;
        if args.demo {
            seed::seed_demo_accounts(&store)
                .await
                .context("seeding demo accounts")?;
        } else if store.accounts.user_count().await? == 0 {
            tracing::warn!(
                "no account yet: create the first with \
                 `lophoc-server user create --role province-admin --username NAME` \
                 (or start with --demo to try Lophoc with the demo accounts)"
            );
        }
        seed::publish_content(&store, &args.content)
            .await
            .context("publishing content")?;
        filling.release().await;
        if !args.dist.join("index.html").is_file() {
            tracing::warn!(dist = %args.dist.display(), "the client is not built; run `make build`");
        }
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))?;
        let address = listener.local_addr().context("reading the bound address")?;
        tracing::info!("Lophoc đang chạy tại / is running at http://{address}");
        if let Some(url) = &args.public_url {
            tracing::info!(public_url = %url, https = security.https(), "public address");
        }
        let mut state = AppState::new(store.clone(), args.dist).with_security(security);
        if let Some(url) = args.instance_url {
            if store.engine() == Engine::Sqlite {
                bail!(
                    "--instance-url: several instances need PostgreSQL (one process serves a SQLite file)"
                );
            }
            tracing::info!(instance_url = %url, "one of several instances");
            state = state.with_instance(url);
        }
        // Forget login-throttle keys that have recovered, once a minute.
        let accounts = store.accounts.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                if let Err(error) = lophoc_server::throttle::forget_recovered(&accounts).await {
                    tracing::warn!(%error, "could not forget recovered login-throttle keys");
                }
            }
        });
        let (router, live) = app_with_live(state);
        // On SIGTERM or Ctrl-C: the live results queued so far are written
        // at once (open connections may keep the server up a while longer),
        // then again once every connection is closed.
        let stopping = {
            let live = live.clone();
            async move {
                shutdown_signal().await;
                tracing::info!("stopping: writing queued live session results");
                flush_live(&live).await;
            }
        };
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
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
