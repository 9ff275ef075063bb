// Atomic writes: a successful write replaces the file; a write that fails half-way (or cannot start)
// leaves the previous file intact and no temporary file behind.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/files.hpp"

namespace fs = std::filesystem;

static fs::path fresh_dir(const char* name) {
  fs::path d = fs::temp_directory_path() / (std::string("glassbox_test_files_") + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

static size_t count_entries(const fs::path& d) {
  size_t n = 0;
  for (auto& e : fs::directory_iterator(d)) (void)e, ++n;
  return n;
}

TEST_CASE("write_file_atomic replaces a file and creates parent folders") {
  fs::path d = fresh_dir("ok");
  std::string path = (d / "sub" / "deeper" / "settings.json").string();
  gb::write_file_atomic(path, "first");
  CHECK(gb::read_file(path) == "first");
  gb::write_file_atomic(path, "second, longer");
  CHECK(gb::read_file(path) == "second, longer");
  gb::write_file_atomic(path, "");
  CHECK(gb::read_file(path).empty());
  CHECK(count_entries(d / "sub" / "deeper") == 1);  // no temporary files left
  fs::remove_all(d);
}

TEST_CASE("a write that fails half-way keeps the previous file") {
  fs::path d = fresh_dir("half");
  std::string path = (d / "data.bin").string();
  gb::write_file_atomic(path, "previous contents");
  // Limit the file size so write() stops part-way with EFBIG (SIGXFSZ ignored so it returns an error).
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 4096;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string big(1 << 20, 'x');
  bool threw = false;
  std::string message;
  try {
    gb::write_file_atomic(path, big);
  } catch (const gb::Error& e) {
    threw = true;
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  CHECK(threw);
  CHECK(message.find(path) == 0);  // "PATH: problem"
  CHECK(message.find("previous file kept") != std::string::npos);
  CHECK(gb::read_file(path) == "previous contents");
  CHECK(count_entries(d) == 1);
  fs::remove_all(d);
}

TEST_CASE("a write that cannot start or finish throws and keeps the previous state") {
  fs::path d = fresh_dir("fail");
  // Parent "folder" is a regular file: cannot create the temporary file.
  gb::write_file_atomic((d / "plain").string(), "keep me");
  CHECK_THROWS_AS(gb::write_file_atomic((d / "plain" / "x.json").string(), "data"), gb::Error);
  CHECK(gb::read_file((d / "plain").string()) == "keep me");
  // Target is a non-empty directory: the final rename fails, the directory and its file survive.
  fs::create_directories(d / "adir");
  gb::write_file_atomic((d / "adir" / "inside").string(), "inside");
  CHECK_THROWS_AS(gb::write_file_atomic((d / "adir").string(), "data"), gb::Error);
  CHECK(gb::read_file((d / "adir" / "inside").string()) == "inside");
  CHECK(count_entries(d) == 2);  // plain + adir, no temporary left
  fs::remove_all(d);
}

TEST_CASE("read_file names the path when it fails") {
  try {
    gb::read_file("/nonexistent/glassbox/file.txt");
    FAIL("expected an error");
  } catch (const gb::Error& e) {
    CHECK(std::string(e.what()).find("/nonexistent/glassbox/file.txt: ") == 0);
  }
}

TEST_CASE("config_dir follows XDG_CONFIG_HOME") {
  const char* old = std::getenv("XDG_CONFIG_HOME");
  std::string saved = old ? old : "";
  ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  CHECK(gb::config_dir() == "/tmp/xdg-test/glassbox");
  if (old) ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1); else ::unsetenv("XDG_CONFIG_HOME");
}
