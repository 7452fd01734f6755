/*
 * cleanup.c - temporary files and child processes an interrupted command
 * must not leave behind.
 *
 * A fixed table of slots, claimed with an atomic flag, so that a signal
 * handler can walk it without locks or allocation: cc_cleanup_now only calls
 * unlink and kill, both async-signal-safe (POSIX.1-2008, 2.4.3).
 */
#include "carecast/fileio.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define TEMP_SLOTS 64
#define TEMP_PATH 1024
#define CHILD_SLOTS 8

static char temp_path[TEMP_SLOTS][TEMP_PATH];
static atomic_int temp_state[TEMP_SLOTS]; /* 0 free, 1 being written, 2 registered */
static atomic_int child_pid[CHILD_SLOTS]; /* 0: free */

int cc_temp_register(const char *path)
{
	size_t n = strlen(path);
	if (n >= TEMP_PATH)
		return -1;
	for (int i = 0; i < TEMP_SLOTS; i++) {
		int expect = 0;
		if (atomic_compare_exchange_strong(&temp_state[i], &expect, 1)) {
			memcpy(temp_path[i], path, n + 1);
			atomic_store(&temp_state[i], 2);
			return i;
		}
	}
	return -1;
}

void cc_temp_unregister(int slot)
{
	if (slot >= 0 && slot < TEMP_SLOTS)
		atomic_store(&temp_state[slot], 0);
}

void cc_temp_forget(const char *path)
{
	for (int i = 0; i < TEMP_SLOTS; i++)
		if (atomic_load(&temp_state[i]) == 2 && strcmp(temp_path[i], path) == 0) {
			atomic_store(&temp_state[i], 0);
			return;
		}
}

int cc_child_register(long pid)
{
	for (int i = 0; i < CHILD_SLOTS; i++) {
		int expect = 0;
		if (atomic_compare_exchange_strong(&child_pid[i], &expect, (int)pid))
			return i;
	}
	return -1;
}

void cc_child_unregister(int slot)
{
	if (slot >= 0 && slot < CHILD_SLOTS)
		atomic_store(&child_pid[slot], 0);
}

void cc_cleanup_now(void)
{
	for (int i = 0; i < CHILD_SLOTS; i++) {
		int pid = atomic_load(&child_pid[i]);
		if (pid > 0)
			kill((pid_t)pid, SIGKILL);
	}
	for (int i = 0; i < TEMP_SLOTS; i++)
		if (atomic_load(&temp_state[i]) == 2)
			unlink(temp_path[i]);
}
