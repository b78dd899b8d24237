#pragma once
// The version of initlab and the git commit it was built from, for `initlab
// --version` and the provenance line of every file the tools write. The commit is
// captured at build time into one small generated source (cmake/version.cmake),
// so a new commit recompiles that file only.

#include <string_view>

namespace initlab {

// The project version from CMakeLists.txt, e.g. "0.1.0".
std::string_view version();

// The short git commit, with "-dirty" if tracked files had uncommitted changes
// when the library was built; "unknown" when built outside a git checkout.
std::string_view git_commit();

// "0.1.0 (commit 1a2b3c4)", or "0.1.0 (commit 1a2b3c4-dirty)", or
// "0.1.0 (commit unknown)".
std::string_view version_string();

}  // namespace initlab
