#pragma once
// The journal of a sweep, DIR/journal.jsonl: a first line naming the sweep
// ({"sweep": fingerprint, "spec": canonical text}), then one record line
// (sweep.hpp) per finished configuration, in the order they finished. Each line
// is one write(2) to a file opened O_APPEND, so a killed run leaves every finished
// configuration and at most one torn last line, which resuming drops.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

#include "study/sweep_spec.hpp"

namespace initlab::study {

class SweepJournal {
 public:
  // DIR is created if missing. resume = false: DIR must not hold a journal yet; a new one is started.
  // resume = true: the journal is read (none yet: an empty one); it must name this
  // sweep and hold records of its configurations, else std::invalid_argument.
  SweepJournal(const std::filesystem::path& dir, const SweepSpec& spec, bool resume);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // id -> record line of every configuration the journal holds.
  const std::map<std::size_t, std::string>& done() const { return done_; }
  // Appends a record line (and keeps it in done()).
  void append(std::size_t id, const std::string& line);

 private:
  void read(const SweepSpec& spec);
  void write_line(const std::string& line);
  std::filesystem::path path_;
  std::map<std::size_t, std::string> done_;
  int fd_ = -1;
};

}  // namespace initlab::study
