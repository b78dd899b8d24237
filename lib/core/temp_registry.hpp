#pragma once
// Temporary files that a signal must not leave behind. A tool calls
// install_temp_cleanup() once; from then on SIGINT, SIGTERM and SIGHUP unlink
// every registered path and then end the process as the signal would have
// (default action re-raised). The handler only calls unlink, signal and raise
// (async-signal-safe); the paths live in fixed slots, so registering never
// allocates inside the handler's view.

#include <string>

namespace initlab {

void install_temp_cleanup();

// Registers `path` for removal on a signal; returns its slot, or -1 when the path
// is too long or all slots are taken (the file is then only removed on errors).
int register_temp(const std::string& path);

// Forgets a slot (after the file was renamed into place or removed). -1 is a no-op.
void unregister_temp(int slot);

}  // namespace initlab
