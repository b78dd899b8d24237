// libFuzzer target: the initializer-spec parser (lib/init, init::parse). A spec
// that parses must round-trip through its canonical spec (spec_of), state its
// moments and draw a small matrix.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "init/draw.hpp"
#include "init/initializer.hpp"
#include "random/stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  const std::string spec(fuzz::as_text(data, size));
  fuzz::expect_clean([&] {
    const init::Initializer ini = init::parse(spec);
    if (init::parse(init::spec_of(ini.rule())).rule() != ini.rule()) std::abort();
    const FanShape shape{5, 3};
    ini.moments(shape);
    init::draw<double>(ini, shape, random::Stream(1));
  });
  return 0;
}
