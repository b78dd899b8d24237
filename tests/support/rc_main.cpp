// The main of every test binary. ctest gives the fixed CI parameters as
// INITLAB_RC_DEFAULT (tests/CMakeLists.txt, from the cache variable
// INITLAB_RC_PARAMS); they become RapidCheck's RC_PARAMS only when the caller has
// not set RC_PARAMS, so `RC_PARAMS="reproduce=..." ctest -R Name` replays a
// counterexample through ctest. RapidCheck reads RC_PARAMS when the first
// property runs, after this.

#include <gtest/gtest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  if (const char* fallback = std::getenv("INITLAB_RC_DEFAULT")) {
    setenv("RC_PARAMS", fallback, /*overwrite=*/0);
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
