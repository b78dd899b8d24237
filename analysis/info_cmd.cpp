// `initlab info`: the build and the BLAS this binary runs on, for bug reports,
// benchmark reports and the scripts that choose an OpenBLAS core.
//
//   initlab info                   human-readable summary
//   initlab info --json            the same as JSON
//   initlab info --openblas-core   the OpenBLAS core name alone (e.g. "Haswell")

#include <iostream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "command.hpp"

extern "C" {
char* openblas_get_corename(void);
char* openblas_get_config(void);
int openblas_get_num_threads(void);
}

namespace initlab::tool {
namespace {

nlohmann::json build_info() {
  nlohmann::json j;
  j["openblas_core"] = openblas_get_corename();
  j["openblas_config"] = openblas_get_config();
  j["openblas_threads"] = openblas_get_num_threads();
  j["hardware_threads"] = std::thread::hardware_concurrency();
  j["compiler"] = __VERSION__;
#ifdef __AVX512F__
  j["simd"] = "avx512";
#elif defined(__AVX2__)
  j["simd"] = "avx2";
#else
  j["simd"] = "sse";
#endif
#ifdef NDEBUG
  j["build"] = "release";
#else
  j["build"] = "debug";
#endif
  return j;
}

struct Options {
  bool json = false;
  bool core = false;
};

Run setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  app.add_flag("--json", opt->json, "print the build description as JSON");
  app.add_flag("--openblas-core", opt->core,
               "print only the OpenBLAS core in use (OPENBLAS_CORETYPE or detected)");
  return [opt] {
    const nlohmann::json info = build_info();
    if (opt->core) {
      std::cout << info["openblas_core"].get<std::string>() << "\n";
    } else if (opt->json) {
      std::cout << info.dump(2) << "\n";
    } else {
      for (const auto& [key, value] : info.items()) {
        std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump())
                  << "\n";
      }
    }
  };
}

const Registration reg{"info", "Describe this build: compiler, SIMD level, OpenBLAS core and threads",
                       setup};

}  // namespace
}  // namespace initlab::tool
