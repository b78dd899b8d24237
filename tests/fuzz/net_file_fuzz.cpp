// libFuzzer target: the network-file parser (lib/study/net_file.hpp,
// study::parse_net) and the compact architecture string (study::parse_arch): bad
// input is a std::invalid_argument, never a crash, a hang or another exception.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "study/net_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  const auto text = fuzz::as_text(data, size);
  fuzz::expect_clean([&] {
    const NetDescription net = study::parse_net(text, "fuzz.json");
    study::layer_count(net);
  });
  fuzz::expect_clean([&] {
    const NetDescription net = study::parse_arch(text);
    study::layer_count(net);
  });
  return 0;
}
