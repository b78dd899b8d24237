#pragma once
// One progress line on stderr for long studies: "NAME: [done/total] what, 12 s",
// rewritten in place on a terminal, one line per step otherwise.

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <iostream>
#include <string>

namespace initlab::tool {

using Progress = std::function<void(std::size_t, std::size_t, const std::string&)>;

// Empty unless `forced` or stderr is a terminal.
inline Progress progress_line(std::string name, bool forced) {
  if (!forced && !::isatty(2)) return {};
  const auto start = std::chrono::steady_clock::now();
  return [name = std::move(name), start, tty = ::isatty(2) != 0](
             std::size_t done, std::size_t total, const std::string& what) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << (tty ? "\r\033[K" : "") << name << ": [" << done << "/" << total << "] " << what
              << ", " << static_cast<long>(s) << " s" << (tty && done < total ? "" : "\n")
              << std::flush;
  };
}

}  // namespace initlab::tool
