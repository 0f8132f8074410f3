//! The person at the keyboard (interactive mode): stdin is read on its own thread, line by
//! line, so the driver can wait for an answer while screens, the call timer and the TAP
//! countdown keep updating.

use std::sync::mpsc::{self, Receiver, TryRecvError};

/// Stdin was closed (Ctrl-D, or a test's input ran out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the input ended")]
pub struct InputClosed;

/// Lines typed by the user.
pub struct Keyboard {
    lines: Receiver<String>,
}

impl Keyboard {
    /// Starts reading stdin.
    pub fn spawn() -> Self {
        let (sender, lines) = mpsc::channel();
        // Without the thread `sender` is dropped at once and the input reads as closed.
        let _ = std::thread::Builder::new().name("stdin".into()).spawn(move || {
            for line in std::io::stdin().lines() {
                let Ok(line) = line else { break };
                if sender.send(line.trim().to_owned()).is_err() {
                    break;
                }
            }
        });
        Self { lines }
    }

    /// A line typed since the last look, without waiting.
    pub fn typed(&self) -> Result<Option<String>, InputClosed> {
        match self.lines.try_recv() {
            Ok(line) => Ok(Some(line)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(InputClosed),
        }
    }

    /// Waits for the next line.
    pub fn line(&self) -> Result<String, InputClosed> {
        self.lines.recv().map_err(|_| InputClosed)
    }
}
