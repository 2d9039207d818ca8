// RemoveOrphanedRuns (executor/sort_run_file.h): in a shared temporary
// directory, the run files of processes that are gone are removed; those of
// live processes, and other files, stay.
#include "executor/sort_run_file.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tessera::executor {
namespace {

pid_t ExitedProcessId() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;  // reaped: no process has this id now (until the kernel reuses it)
}

TEST(SortOrphanedRunsTest, RemovesOnlyTheRunsOfProcessesThatAreGone) {
  auto dir = std::filesystem::temp_directory_path() / ("tessera-orphans-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto touch = [&](const std::string& name) { std::ofstream(dir / name) << "x"; };
  std::string dead = "tessera_sort." + std::to_string(ExitedProcessId()) + ".0";
  std::string mine = "tessera_sort." + std::to_string(getpid()) + ".3";
  std::string parent = "tessera_sort." + std::to_string(getppid()) + ".1";
  touch(dead);
  touch(mine);
  touch(parent);
  touch("unrelated.tmp");
  RemoveOrphanedRuns(dir.string());
  EXPECT_FALSE(std::filesystem::exists(dir / dead));
  EXPECT_TRUE(std::filesystem::exists(dir / mine));
  EXPECT_TRUE(std::filesystem::exists(dir / parent));
  EXPECT_TRUE(std::filesystem::exists(dir / "unrelated.tmp"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tessera::executor
