#pragma once
// Shared pieces of the libFuzzer targets (tests/fuzz/*_fuzz.cpp): the loaders read
// files, so each input is written to a scratch file of this process first; and the
// one rule every target checks: bad input is a std::invalid_argument (a clear
// message), never a crash, another exception, or an allocation beyond the
// fuzzer's limit. Anything else escapes and libFuzzer reports it with the input.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace initlab::fuzz {

// A folder of this process under $TMPDIR (or /tmp), removed at exit.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto d = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") /
             ("initlab-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return dir;
}

// Writes bytes to scratch_dir()/name and returns the path.
inline std::filesystem::path write_scratch(const std::string& name,
                                           std::span<const std::uint8_t> bytes) {
  const auto path = scratch_dir() / name;
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  os.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!os.flush()) std::abort();
  return path;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs f(); a std::invalid_argument is the expected answer to bad input.
template <class F>
void expect_clean(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument&) {
  }
}

}  // namespace initlab::fuzz
