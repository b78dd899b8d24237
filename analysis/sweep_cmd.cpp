// `initlab sweep`: every configuration of a sweep file (lib/study/sweep_spec.hpp)
// through its study, spread over threads or MPI ranks, journaled in DIR so an
// interrupted sweep resumes; one results table in configuration order.
//
//   initlab sweep FILE --out DIR [--resume] [--threads N] [--progress]
//   mpirun -n N initlab sweep FILE --out DIR [--resume]
//
// DIR/sweep.csv and DIR/sweep.json: one row per configuration (phase, spectrum) or
// per configuration and layer (variance), byte-identical for any number of threads or
// ranks and after any number of resumes; DIR/journal.jsonl: the finished ones;
// DIR/timing.json: this run's times and a scale estimate (sweep_timing.hpp).

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "command.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "output.hpp"
#include "study/sweep_run.hpp"
#include "sweep_timing.hpp"
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
  ScaleRequest scale;
};

std::string csv_cell(const study::SweepCell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return csv_quote(*s);
  return csv_number(std::get<double>(c));
}

Json json_cell(const study::SweepCell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  return json_number(std::get<double>(c));
}

// A network's value is its JSON object, named by its label where it had no name.
Json json_value(const study::SweepValue& v) {
  if (v.is_string) return Json(v.text);
  Json j = Json::parse(v.text);
  if (j.is_object() && !v.label.empty() && !j.contains("name")) j["name"] = v.label;
  return j;
}

// The command that made the files: "initlab sweep FILE". --out, --resume,
// --threads and the number of ranks do not change a byte of them, so they are
// not part of it (unlike provenance_line(), which quotes the whole command line).
std::string made_by(const Options& o) { return "initlab sweep " + printable(o.file); }

std::string sweep_provenance_line(const Options& o) {
  return cat("initlab ", version(), " (", git_commit(), "): ", made_by(o));
}

Json sweep_provenance_json(const Options& o) {
  Json p = provenance_json();
  p["command"] = made_by(o);
  return p;
}

void write_csv(std::ostream& os, const Options& o, const study::SweepSpec& spec,
               const study::SweepOutcome& r) {
  const auto& columns = study::sweep_columns(spec.study);
  os << "# " << sweep_provenance_line(o) << ", sweep " << spec.fingerprint() << "\nid,status";
  for (const auto& p : spec.parameters) os << ',' << p.name;
  for (const auto& c : columns) os << ',' << c;
  os << ",error\n";
  for (const auto& rec : r.records) {
    const study::SweepPoint pt = study::sweep_point(spec, rec.id);
    std::string head = cat(rec.id, ',', study::to_string(rec.status));
    for (const auto* v : pt.values) head += ',' + csv_quote(v->shown());
    if (rec.rows.empty()) os << head << std::string(columns.size(), ',') << ',' << csv_quote(rec.error) << '\n';
    for (const auto& row : rec.rows) {
      os << head;
      for (const auto& c : row) os << ',' << csv_cell(c);
      os << ',' << csv_quote(rec.error) << '\n';
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
  os << json_text(Json{{"provenance", sweep_provenance_json(o)},
             {"study", study::to_string(spec.study)},
             {"sweep", spec.fingerprint()},
             {"spec", Json::parse(spec.canonical())},
             {"configurations_total", spec.size()},
             {"ok", r.ok},
             {"diverged", r.diverged},
             {"failed", r.failed},
             {"configurations", configs}},
                    1)
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

void run(const Options& opts) {
  const auto started = std::chrono::steady_clock::now();
  Options o = opts;
  if (o.threads < 0) fail(cat("--threads ", o.threads), "expected >= 1 (0: one per core)");
  const study::SweepSpec spec = study::load_sweep_spec(o.file);
  if (!o.resume && std::filesystem::exists(std::filesystem::path(o.out) / "journal.jsonl"))
    fail("--out " + o.out, "holds the journal of an earlier sweep; expected a new folder, or "
         "--resume to continue it");
  std::unique_ptr<study::SweepExecutor> executor;
  [[maybe_unused]] bool under_mpi = false;  // read only in an MPI build
#ifdef INITLAB_HAVE_MPI
  if (mpi_launched() && o.threads > 1)
    fail(cat("--threads ", o.threads), "under MPI each rank runs one configuration at a time; "
         "expected 0 or 1 (start more ranks instead)");
  executor = mpi_executor_if_launched();
  under_mpi = executor != nullptr;
#endif
  if (!executor) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    executor = study::thread_executor(o.threads == 0 ? cores : o.threads);
  }
  study::SweepRunOptions ro;
  ro.dir = o.out;
  ro.resume = o.resume;
  study::SweepOutcome r;
  std::optional<FolderLock> lock;
  try {
    if (executor->coordinator()) {
      lock_output_dir(lock, "--out", o.out);
      ro.progress = progress(o.progress);
    }
    o.scale.startup_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    r = study::run_sweep(spec, *executor, ro);
  } catch (const std::exception& e) {
#ifdef INITLAB_HAVE_MPI
    // The other ranks would wait for work that never comes: end the job.
    if (under_mpi) {
      if (executor->coordinator()) std::cerr << "initlab: error: " << error_message(e.what()) << std::endl;
      const bool bad_input = dynamic_cast<const std::invalid_argument*>(&e) != nullptr ||
                             dynamic_cast<const OutputError*>(&e) != nullptr;
      mpi_abort(bad_input ? 2 : 1);
    }
#endif
    throw;
  }
  if (!executor->coordinator()) return;
  const std::filesystem::path dir(o.out);
  StagedFiles files;
  files.add((dir / "sweep.csv").string(), [&](std::ostream& os) { write_csv(os, o, spec, r); });
  files.add((dir / "sweep.json").string(), [&](std::ostream& os) { write_json(os, o, spec, r); });
  const auto estimate = scale_estimate(r.timing, o.scale);
  files.add((dir / "timing.json").string(), [&](std::ostream& os) {
    Json j{{"provenance", provenance_json()}, {"sweep", spec.fingerprint()}};
    j.update(timing_json(r.timing, o.scale, estimate));
    os << json_text(j, 1) << "\n";
  });
  files.commit();
  std::cout << "sweep " << spec.fingerprint() << " (" << study::to_string(spec.study) << "): "
            << spec.size() << " configurations on " << executor->workers() << " workers, "
            << r.resumed << " from the journal; ok " << r.ok << ", diverged " << r.diverged
            << ", failed " << r.failed << "\n";
  for (const auto& rec : r.records)
    if (rec.status == study::SweepStatus::failed)
      std::cout << "  failed " << rec.id << " (" << rec.key << "): " << rec.error << "\n";
  std::cout << estimate_line(estimate) << "\n";
  std::cout << "wrote " << (dir / "sweep.csv").string() << ", " << (dir / "sweep.json").string()
            << ", " << (dir / "timing.json").string() << "\n";
}

Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.footer(
      "FILE (JSON) names the study (\"variance\", \"phase\", \"spectrum\" or \"net\": the variance study of\n"
      "described networks, docs/net-files.md) and one value or a list per parameter;\n"
      "the sweep is their product, configuration ids in the order of lib/study/sweep_spec.hpp.\n"
      "DIR gets sweep.csv, sweep.json (written when all have finished) and journal.jsonl (one line\n"
      "per finished configuration; --resume runs only the rest); timing.json holds this run's times\n"
      "and an estimate for --estimate-configs configurations on --estimate-ranks ranks. Under\n"
      "mpirun the configurations are handed out by rank 0; sweep.csv and sweep.json are\n"
      "byte-identical for any number of ranks or threads.\n"
      "A configuration that fails is recorded with its error and the rest go on.\n"
#ifdef INITLAB_HAVE_MPI
      "MPI: built in (mpirun -n N initlab sweep ...)."
#else
      "MPI: not built in (install Open MPI and reconfigure; one process with --threads)."
#endif
  );
  sub.add_option("FILE", o->file, "Sweep file (JSON)")->required();
  sub.add_option("--out", o->out, "Output folder")->required()->type_name("DIR");
  sub.add_flag("--resume", o->resume, "Continue the sweep whose journal is in DIR");
  sub.add_option("--threads", o->threads,
                 "Configurations run at once in this process (0: one per core; one per rank under MPI)")
      ->capture_default_str();
  sub.add_flag("--progress", o->progress, "Progress on stderr even when it is not a terminal");
  sub.add_option("--estimate-configs", o->scale.configurations,
                 "Configurations of the sweep whose time timing.json estimates")
      ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  sub.add_option("--estimate-ranks", o->scale.ranks, "Ranks of the estimated sweep")
      ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24));
  return [o] { run(*o); };
}

const Registration reg{"sweep",
                       "Run every configuration of a sweep file (variance, phase, spectrum or net study), "
                       "resumable, on threads or MPI ranks",
                       setup};

}  // namespace
}  // namespace initlab::tool
