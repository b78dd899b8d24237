// `initlab sweep`: every configuration of a sweep file (lib/study/sweep_spec.hpp)
// through its study, spread over threads or MPI ranks, journaled in DIR so an
// interrupted sweep resumes; one results table in configuration order.
//
//   initlab sweep FILE --out DIR [--resume] [--threads N] [--progress]
//   mpirun -n N initlab sweep FILE --out DIR [--resume]
//
// DIR/sweep.csv and DIR/sweep.json: one row per configuration (phase) or per
// configuration and layer (variance), byte-identical for any number of threads or
// ranks and after any number of resumes; DIR/journal.jsonl: the finished ones.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unistd.h>

#include "command.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "output.hpp"
#include "study/sweep_run.hpp"
#ifdef INITLAB_HAVE_MPI
#include "mpi/mpi_executor.hpp"
#endif

namespace initlab::tool {
namespace {

using Json = nlohmann::ordered_json;

struct Options {
  std::string file;
  std::string out;
  bool resume = false;
  int threads = 0;  // 0: one per core (one per rank under MPI)
  bool progress = false;
};

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::string csv_cell(const study::SweepCell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return csv_text(*s);
  const double v = std::get<double>(c);
  if (!std::isfinite(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

Json json_cell(const study::SweepCell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  const double v = std::get<double>(c);
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

Json json_value(const study::SweepValue& v) { return v.is_string ? Json(v.text) : Json::parse(v.text); }

// The header every output starts with: the sweep file, the version, the sweep's fingerprint.
std::string made_by(const Options& o, const study::SweepSpec& spec) {
  return cat("initlab sweep ", o.file, " (initlab ", version_string(), "), sweep ",
             spec.fingerprint());
}

void write_csv(std::ostream& os, const Options& o, const study::SweepSpec& spec,
               const study::SweepOutcome& r) {
  const auto& columns = study::sweep_columns(spec.study);
  os << "# " << made_by(o, spec) << "\nid,status";
  for (const auto& p : spec.parameters) os << ',' << p.name;
  for (const auto& c : columns) os << ',' << c;
  os << ",error\n";
  for (const auto& rec : r.records) {
    const study::SweepPoint pt = study::sweep_point(spec, rec.id);
    std::string head = cat(rec.id, ',', study::to_string(rec.status));
    for (const auto* v : pt.values) head += ',' + csv_text(v->text);
    if (rec.rows.empty()) os << head << std::string(columns.size(), ',') << ',' << csv_text(rec.error) << '\n';
    for (const auto& row : rec.rows) {
      os << head;
      for (const auto& c : row) os << ',' << csv_cell(c);
      os << ',' << csv_text(rec.error) << '\n';
    }
  }
}

void write_json(std::ostream& os, const Options& o, const study::SweepSpec& spec,
                const study::SweepOutcome& r) {
  const auto& columns = study::sweep_columns(spec.study);
  Json configs = Json::array();
  for (const auto& rec : r.records) {
    const study::SweepPoint pt = study::sweep_point(spec, rec.id);
    Json params = Json::object();
    for (std::size_t k = 0; k < pt.values.size(); ++k)
      params[pt.parameters[k]->name] = json_value(*pt.values[k]);
    Json rows = Json::array();
    for (const auto& row : rec.rows) {
      Json obj = Json::object();
      for (std::size_t k = 0; k < row.size(); ++k) obj[columns[k]] = json_cell(row[k]);
      rows.push_back(std::move(obj));
    }
    configs.push_back({{"id", rec.id}, {"status", study::to_string(rec.status)},
                       {"error", rec.error}, {"parameters", params}, {"rows", rows}});
  }
  os << Json{{"command", made_by(o, spec)},
             {"study", study::to_string(spec.study)},
             {"sweep", spec.fingerprint()},
             {"spec", Json::parse(spec.canonical())},
             {"configurations_total", spec.size()},
             {"ok", r.ok},
             {"diverged", r.diverged},
             {"failed", r.failed},
             {"configurations", configs}}
            .dump(1)
     << "\n";
}

std::string seconds_text(double s) {
  if (s < 0) return "?";
  return cat(static_cast<long long>(std::llround(s)), " s");
}

// "sweep: 12/100 done, 2 running, 86 left, 3 s, ETA 25 s", at most once a second
// off a terminal.
std::function<void(const study::SweepProgress&)> progress(bool forced) {
  const bool tty = ::isatty(2) != 0;
  if (!forced && !tty) return {};
  auto last = std::make_shared<double>(-1.0);
  return [tty, last](const study::SweepProgress& p) {
    const bool end = p.left == 0 && p.running == 0;
    if (!tty && !end && *last >= 0 && p.seconds - *last < 1.0) return;
    *last = p.seconds;
    std::cerr << (tty ? "\r\033[K" : "") << "sweep: " << p.done << "/" << p.total << " done, "
              << p.running << " running, " << p.left << " left, " << seconds_text(p.seconds)
              << ", ETA " << seconds_text(p.eta_seconds) << (tty && !end ? "" : "\n") << std::flush;
  };
}

void run(const Options& o) {
  if (o.threads < 0) fail("--threads", o.threads, ": expected >= 1 (0: one per core)");
  const study::SweepSpec spec = study::load_sweep_spec(o.file);
  if (!o.resume && std::filesystem::exists(std::filesystem::path(o.out) / "journal.jsonl"))
    fail("--out", o.out, ": holds the journal of an earlier sweep; expected a new folder, or "
         "--resume to continue it");
  std::unique_ptr<study::SweepExecutor> executor;
#ifdef INITLAB_HAVE_MPI
  executor = mpi_executor_if_launched(o.threads == 0 ? 1 : o.threads);
#endif
  if (!executor) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    executor = study::thread_executor(o.threads == 0 ? cores : o.threads);
  }
  if (executor->coordinator()) ensure_output_dir(o.out);
  study::SweepRunOptions ro;
  ro.dir = o.out;
  ro.resume = o.resume;
  if (executor->coordinator()) ro.progress = progress(o.progress);
  const study::SweepOutcome r = study::run_sweep(spec, *executor, ro);
  if (!executor->coordinator()) return;
  const std::filesystem::path dir(o.out);
  write_atomically((dir / "sweep.csv").string(), [&](std::ostream& os) { write_csv(os, o, spec, r); });
  write_atomically((dir / "sweep.json").string(), [&](std::ostream& os) { write_json(os, o, spec, r); });
  std::cout << "sweep " << spec.fingerprint() << " (" << study::to_string(spec.study) << "): "
            << spec.size() << " configurations on " << executor->workers() << " workers, "
            << r.resumed << " from the journal; ok " << r.ok << ", diverged " << r.diverged
            << ", failed " << r.failed << "\n";
  for (const auto& rec : r.records)
    if (rec.status == study::SweepStatus::failed)
      std::cout << "  failed " << rec.id << " (" << rec.key << "): " << rec.error << "\n";
  std::cout << "wrote " << (dir / "sweep.csv").string() << ", " << (dir / "sweep.json").string() << "\n";
}

Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.footer(
      "FILE (JSON) names the study (\"variance\" or \"phase\") and one value or a list per parameter;\n"
      "the sweep is their product, configuration ids in the order of lib/study/sweep_spec.hpp.\n"
      "DIR gets sweep.csv, sweep.json (written when all have finished) and journal.jsonl (one line\n"
      "per finished configuration; --resume runs only the rest). Under mpirun the configurations\n"
      "are handed out by rank 0; the files are byte-identical for any number of ranks or threads.\n"
      "A configuration that fails is recorded with its error and the rest go on.");
  sub.add_option("FILE", o->file, "Sweep file (JSON)")->required();
  sub.add_option("--out", o->out, "Output folder")->required()->type_name("DIR");
  sub.add_flag("--resume", o->resume, "Continue the sweep whose journal is in DIR");
  sub.add_option("--threads", o->threads,
                 "Configurations run at once in this process (0: one per core; one per rank under MPI)")
      ->capture_default_str();
  sub.add_flag("--progress", o->progress, "Progress on stderr even when it is not a terminal");
  return [o] { run(*o); };
}

const Registration reg{"sweep",
                       "Run every configuration of a sweep file (variance or phase study), "
                       "resumable, on threads or MPI ranks",
                       setup};

}  // namespace
}  // namespace initlab::tool
