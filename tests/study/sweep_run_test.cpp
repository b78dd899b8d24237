// Running a sweep (lib/study/sweep_run.cpp): the same records for any number of
// threads, a resumed journal runs only the rest and ends with the same records,
// a journal of another sweep is refused.
#include "study/sweep_run.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "study/sweep_journal.hpp"
#include "support/temp_dir.hpp"

namespace initlab::study {
namespace {

SweepSpec spec() {
  return parse_sweep_spec(R"({"study": "phase", "sw2": [0.5, 1, 2, 4], "sb2": [0, 0.1],
                              "width": 24, "depth": 6, "seeds": 2, "pairs": 2})",
                          "p.json");
}

std::vector<std::string> lines(const SweepOutcome& o) {
  std::vector<std::string> out;
  for (const auto& r : o.records) out.push_back(record_line(r));
  return out;
}

std::size_t line_count(const std::filesystem::path& p) {
  std::ifstream is(p);
  std::size_t n = 0;
  for (std::string l; std::getline(is, l);) ++n;
  return n;
}

TEST(SweepRun, SameRecordsForAnyNumberOfThreads) {
  const SweepSpec s = spec();
  testing::TempDir d;
  SweepRunOptions o1{d / "one", false, {}}, o3{d / "three", false, {}};
  const SweepOutcome a = run_sweep(s, *thread_executor(1), o1);
  const SweepOutcome b = run_sweep(s, *thread_executor(3), o3);
  ASSERT_EQ(a.records.size(), 8u);
  for (std::size_t k = 0; k < 8; ++k) EXPECT_EQ(a.records[k].id, k);
  EXPECT_EQ(lines(a), lines(b));
  EXPECT_EQ(a.ok + a.diverged + a.failed, 8u);
  EXPECT_EQ(line_count(d / "one" / "journal.jsonl"), 9u);  // header + one line per configuration
}

TEST(SweepRun, ResumeRunsOnlyWhatTheJournalLacks) {
  const SweepSpec s = spec();
  testing::TempDir d;
  const auto full = d / "full", part = d / "part";
  std::filesystem::create_directories(part);
  const SweepOutcome a = run_sweep(s, *thread_executor(2), {full, false, {}});
  {
    // A run killed after configurations 0, 5 and 2, in the middle of writing a fourth.
    std::ifstream is(full / "journal.jsonl");
    std::string header;
    std::getline(is, header);
    std::ofstream os(part / "journal.jsonl", std::ios::binary);
    os << header << '\n';
    for (std::size_t id : {0u, 5u, 2u}) os << record_line(a.records[id]) << '\n';
    os << record_line(a.records[3]).substr(0, 20);
  }
  SweepRunOptions o{part, true, {}};
  o.progress = [&](const SweepProgress& p) { EXPECT_EQ(p.total, 8u); };
  const SweepOutcome b = run_sweep(s, *thread_executor(2), o);
  EXPECT_EQ(b.resumed, 3u);
  EXPECT_EQ(lines(a), lines(b));
  EXPECT_EQ(line_count(part / "journal.jsonl"), 9u);  // the torn line is gone
  // Nothing left: a second resume runs nothing and gives the same records.
  const SweepOutcome c = run_sweep(s, *thread_executor(2), o);
  EXPECT_EQ(c.resumed, 8u);
  EXPECT_EQ(lines(a), lines(c));
}

TEST(SweepRun, ProgressCountsDoneRunningAndLeft) {
  const SweepSpec s = spec();
  testing::TempDir d;
  std::vector<SweepProgress> seen;
  SweepRunOptions o{d.path(), false, [&](const SweepProgress& p) { seen.push_back(p); }};
  run_sweep(s, *thread_executor(1), o);
  ASSERT_EQ(seen.size(), 17u);  // the start, then started + finished per configuration
  EXPECT_EQ(seen.front().left, 8u);
  EXPECT_EQ(seen.front().eta_seconds, -1.0);
  EXPECT_EQ(seen[1].running, 1u);
  EXPECT_EQ(seen[1].left, 7u);
  EXPECT_EQ(seen.back().done, 8u);
  EXPECT_EQ(seen.back().left + seen.back().running, 0u);
  for (const auto& p : seen) EXPECT_EQ(p.done + p.running + p.left, 8u);
}

TEST(SweepRun, RefusesAnEarlierRunWithoutResumeAndAnotherSweepsJournal) {
  const SweepSpec s = spec();
  testing::TempDir d;
  run_sweep(s, *thread_executor(1), {d.path(), false, {}});
  EXPECT_THROW(run_sweep(s, *thread_executor(1), {d.path(), false, {}}), std::invalid_argument);
  const SweepSpec other = parse_sweep_spec(R"({"study": "phase", "sw2": 1})", "q.json");
  EXPECT_THROW(run_sweep(other, *thread_executor(1), {d.path(), true, {}}), std::invalid_argument);
  EXPECT_THROW(thread_executor(0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
