#pragma once
// The skeleton of the subcommands that run one study and write what it found as a
// CSV, a JSON and a table (phase, spectrum): the --csv, --json and --progress
// options, and the run order. Both outputs are checked before the work starts, the
// study reports progress on stderr, each file goes through the one writer, and the
// table goes to stdout unless a file does.

#include <iostream>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "output.hpp"
#include "progress.hpp"

namespace initlab::tool {

struct StudyOutputs {
  std::string csv, json;
  bool progress = false;
};

// --csv FILE|-, --json FILE|- and --progress, in that order, after the command's own options.
inline void add_study_outputs(CLI::App& sub, StudyOutputs& out, const std::string& csv_help,
                              const std::string& json_help) {
  sub.add_option("--csv", out.csv, csv_help)->type_name("FILE|-");
  sub.add_option("--json", out.json, json_help)->type_name("FILE|-");
  sub.add_flag("--progress", out.progress, "Progress on stderr even when it is not a terminal");
}

// make_config() -> Config (validated; it has a `progress` member), run(config) ->
// Result, then write_csv / write_json / print_summary(std::ostream&, const Result&).
template <class MakeConfig, class RunStudy, class WriteCsv, class WriteJson, class PrintSummary>
void run_study_command(const std::string& name, const StudyOutputs& out, MakeConfig make_config,
                       RunStudy run, WriteCsv write_csv, WriteJson write_json, PrintSummary print_summary) {
  check_output("--csv", out.csv);
  check_output("--json", out.json);
  auto config = make_config();
  config.progress = progress_line(name, out.progress);
  const auto result = run(config);
  if (!out.csv.empty()) write_output(out.csv, [&](std::ostream& os) { write_csv(os, result); });
  if (!out.json.empty()) write_output(out.json, [&](std::ostream& os) { write_json(os, result); });
  if (out.csv != "-" && out.json != "-") print_summary(std::cout, result);
}

}  // namespace initlab::tool
