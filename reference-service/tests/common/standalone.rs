//! The standalone binary as a child process of a test.

/// Kills the standalone service when the test ends, however it ends (a failed assertion too).
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
