// Whole-file reads and atomic writes.
#include "core/files.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include "build_info.hpp"
#include "core/error.hpp"

namespace gb {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_file(path, std::string("cannot open for reading (") + std::strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) fail_file(path, "read error");
  return ss.str();
}

void write_file_atomic(const std::string& path, std::string_view data) {
  namespace fs = std::filesystem;
  fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_file(path, std::string("cannot create temporary file (") + std::strerror(errno) + ")");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail_file(path, std::string("write failed (") + std::strerror(e) + "); previous file kept");
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail_file(path, "could not flush to disk; previous file kept");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    fail_file(path, std::string("rename failed (") + std::strerror(e) + "); previous file kept");
  }
}

std::string config_dir() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/glassbox";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/glassbox";
  return ".glassbox";
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

std::string assets_dir() {
  if (const char* a = std::getenv("GLASSBOX_ASSETS"); a && *a) return a;
  std::string src = std::string(build::source_dir) + "/assets";
  if (file_exists(src)) return src;
  return "assets";
}

}  // namespace gb
