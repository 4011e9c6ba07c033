//! Progress on stderr: a redrawn bar on a terminal, one count line otherwise (so logs of CI
//! runs are not filled with carriage returns).

use std::io::{IsTerminal, Write};

const BAR_WIDTH: usize = 30;

pub struct Progress {
    total: usize,
    done: usize,
    failed: usize,
    tty: bool,
    /// Whether a bar is on screen and must be cleared before other output.
    drawn: bool,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        let mut p = Progress { total, done: 0, failed: 0, tty: std::io::stderr().is_terminal(), drawn: false };
        p.draw(); // An empty bar at once: the first document may take a while.
        p
    }

    /// Records one finished file; `error` is its error line.
    pub fn file_done(&mut self, error: Option<&str>) {
        self.done += 1;
        if let Some(line) = error {
            self.failed += 1;
            self.clear();
            eprintln!("{line}");
        }
        self.draw();
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            self.drawn = false;
        }
    }

    fn draw(&mut self) {
        if !self.tty {
            return;
        }
        let filled = BAR_WIDTH * self.done / self.total.max(1);
        let bar: String = "#".repeat(filled) + &".".repeat(BAR_WIDTH - filled);
        eprint!("\r\x1b[2K[{bar}] {}/{}", self.done, self.total);
        if self.failed > 0 {
            eprint!(" ({} failed)", self.failed);
        }
        // Progress is cosmetic: a stderr that cannot be flushed must not fail the run.
        let _ = std::io::stderr().flush();
        self.drawn = true;
    }

    /// Replaces the bar by the final count line.
    pub fn finish(&mut self) {
        self.clear();
        eprintln!("pith: {} of {} files extracted, {} failed", self.done - self.failed, self.total, self.failed);
    }
}
