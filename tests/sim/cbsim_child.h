#pragma once
// A cbsim process started in the background, for tests that signal it while
// it runs or start it under resource limits (tests/sim/cbsim_process.h runs
// one to its end).

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tests/sim/cbsim_process.h"

namespace cbsim::test {

class CbsimChild {
public:
  // `in_child` runs in the child just before exec (set limits, signal dispositions).
  explicit CbsimChild(const std::vector<std::string>& args, const std::function<void()>& in_child = {})
      : io_dir_(scratch_dir("child" + std::to_string(counter_++))) {
    std::vector<std::string> argv_text = {CBSIM_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      redirect(STDIN_FILENO, "/dev/null", O_RDONLY);
      redirect(STDOUT_FILENO, (io_dir_ / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC);
      redirect(STDERR_FILENO, (io_dir_ / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC);
      // As started from a terminal, even when the tests run as a background job (SIGINT ignored).
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGTERM, SIG_DFL);
      if (in_child) in_child();
      std::vector<char*> argv;
      for (std::string& a : argv_text) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~CbsimChild() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(io_dir_);
  }
  CbsimChild(const CbsimChild&) = delete;
  CbsimChild& operator=(const CbsimChild&) = delete;

  void send(int signal) const { ::kill(pid_, signal); }
  bool running() {
    if (reaped_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
    finish(status);
    return false;
  }

  // Its exit status (128 + N when killed by signal N), stdout and stderr; -1
  // if it did not end within `timeout` (it is killed then).
  ProcessResult wait(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      reaped_ = true;
    }
    result_.out = read_text(io_dir_ / "out");
    result_.err = read_text(io_dir_ / "err");
    return result_;
  }

private:
  static void redirect(int fd, const char* path, int flags) {
    const int opened = ::open(path, flags, 0644);
    if (opened >= 0) ::dup2(opened, fd);
  }
  void finish(int status) {
    reaped_ = true;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  static inline int counter_ = 0;
  std::filesystem::path io_dir_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  ProcessResult result_;
};

// Waits until `path` exists (at most `timeout`); whether it does.
inline bool wait_for_file(const std::filesystem::path& path, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!std::filesystem::exists(path)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace cbsim::test
