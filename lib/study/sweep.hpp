#pragma once
// One configuration of a sweep (sweep_spec.hpp) run through its study, and the
// record that keeps what it measured. A record is a pure function of the sweep
// file and the configuration id: each study runs with one thread and one BLAS
// thread, its seeds are the configuration's, and its numbers are kept as the text
// of one JSON line (record_line), the same line whether it came from this
// process, another MPI rank or the journal of an earlier run. Every output is made
// from those lines, so it is byte-identical however the sweep was spread or resumed.
//
// Rows per configuration: variance, one per layer l = 1..L (natural logs of the
// measured seed mean and of the mean-field value); phase, one for the cell at
// depth L; spectrum, one for the Jacobian's singular values at depth L. Columns:
// sweep_columns().

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "study/sweep_spec.hpp"

namespace initlab::study {

// "ok"; "diverged": the study ran but some value left the finite range;
// "failed": the configuration could not run (its error says why).
enum class SweepStatus { ok, diverged, failed };
std::string_view to_string(SweepStatus s);

// A number (NaN: missing, written empty / null) or a word.
using SweepCell = std::variant<double, std::string>;

struct SweepRecord {
  std::size_t id = 0;
  std::string key;  // SweepPoint::key()
  SweepStatus status = SweepStatus::ok;
  std::string error;                         // why it failed; empty otherwise
  std::vector<std::vector<SweepCell>> rows;  // each of sweep_columns(study).size()
};

// The result columns of a study's rows (after the configuration's parameters).
const std::vector<std::string>& sweep_columns(SweepStudy study);

// Runs configuration `id`; a std::exception from the study becomes a failed record.
SweepRecord run_configuration(const SweepSpec& spec, std::size_t id);

// The record as one line of JSON (no newline), and back. from_line throws
// std::invalid_argument naming `where` if the line is not a record.
std::string record_line(const SweepRecord& record);
SweepRecord record_from_line(const std::string& line, const std::string& where);

}  // namespace initlab::study
