#pragma once
// The drawing half of `initlab report`: scripts/report/net.py run by python3 on
// the folder of net_variance.json the tool wrote. The script is found through
// --script, else $INITLAB_REPORT_SCRIPT, else the source tree this binary was
// built from (compiled in); python3 through $INITLAB_PYTHON, else Debian's
// /usr/bin/python3 (where python3-matplotlib installs), else `python3` on PATH. Python only formats: every number and verdict comes from the JSON.

#include <string>

namespace initlab::tool {

// The script's path: `given` when not empty, else the environment's, else the
// compiled-in one.
std::string report_script(const std::string& given);

// Empty when python3 with matplotlib can draw with SCRIPT; else why not (one
// clause: "python3 not found", "matplotlib not importable by python3",
// "no script at PATH").
std::string figures_unavailable(const std::string& script);

// Runs `python3 SCRIPT --dir DIR --command COMMAND` and waits; throws
// std::runtime_error naming the script and its exit status when it fails.
void draw_report(const std::string& script, const std::string& dir, const std::string& command);

}  // namespace initlab::tool
