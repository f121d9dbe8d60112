/* A drive that starts failing, for tests/test_faults_device.py (loaded with LD_PRELOAD).
 *
 * Once the file named by $FAULT_TRIGGER exists, every read, write, sync, truncate, open,
 * rename, unlink or mkdir of a file under $FAULT_PREFIX fails with EIO, as a USB stick pulled
 * out or a failing disk does. That covers SQLite (pread64/pwrite64/fsync through libc) as well
 * as Python and pyrage (read/write). Removing the trigger file is "the drive is back".
 *
 * Nothing here decides *when*: tests/faultkit.py creates the trigger at a chosen step.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int triggered(void) {
    const char *trigger = getenv("FAULT_TRIGGER");
    if (trigger == NULL) return 0;
    static int (*real_access)(const char *, int) = NULL;
    if (real_access == NULL) real_access = dlsym(RTLD_NEXT, "access");
    return real_access(trigger, F_OK) == 0;
}

static int inside(const char *path, const char *prefix) {
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int under_prefix(const char *path) {
    const char *prefix = getenv("FAULT_PREFIX");
    if (prefix == NULL || path == NULL) return 0;
    if (path[0] == '/') return inside(path, prefix);
    char cwd[PATH_MAX];  /* a relative path: resolve against the working directory */
    if (getcwd(cwd, sizeof cwd) == NULL) return 0;
    return inside(cwd, prefix);
}

static int fd_under_prefix(int fd) {
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) return 0;
    target[n] = '\0';
    return under_prefix(target);
}

#define FAIL_FD(fd, ret) do { if (triggered() && fd_under_prefix(fd)) { errno = EIO; return ret; } } while (0)
#define FAIL_PATH(p, ret) do { if (triggered() && under_prefix(p)) { errno = EIO; return ret; } } while (0)
#define REAL(name) static __typeof__(name) *real = NULL; if (real == NULL) real = dlsym(RTLD_NEXT, #name)

ssize_t read(int fd, void *buf, size_t n) { REAL(read); FAIL_FD(fd, -1); return real(fd, buf, n); }
ssize_t write(int fd, const void *buf, size_t n) { REAL(write); FAIL_FD(fd, -1); return real(fd, buf, n); }
ssize_t pread(int fd, void *buf, size_t n, off_t o) { REAL(pread); FAIL_FD(fd, -1); return real(fd, buf, n, o); }
ssize_t pread64(int fd, void *buf, size_t n, off_t o) { REAL(pread64); FAIL_FD(fd, -1); return real(fd, buf, n, o); }
ssize_t pwrite(int fd, const void *buf, size_t n, off_t o) { REAL(pwrite); FAIL_FD(fd, -1); return real(fd, buf, n, o); }
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t o) { REAL(pwrite64); FAIL_FD(fd, -1); return real(fd, buf, n, o); }
ssize_t readv(int fd, const struct iovec *v, int c) { REAL(readv); FAIL_FD(fd, -1); return real(fd, v, c); }
ssize_t writev(int fd, const struct iovec *v, int c) { REAL(writev); FAIL_FD(fd, -1); return real(fd, v, c); }
int fsync(int fd) { REAL(fsync); FAIL_FD(fd, -1); return real(fd); }
int fdatasync(int fd) { REAL(fdatasync); FAIL_FD(fd, -1); return real(fd); }
int ftruncate(int fd, off_t len) { REAL(ftruncate); FAIL_FD(fd, -1); return real(fd, len); }
int ftruncate64(int fd, off_t len) { REAL(ftruncate64); FAIL_FD(fd, -1); return real(fd, len); }
int unlink(const char *p) { REAL(unlink); FAIL_PATH(p, -1); return real(p); }
int rmdir(const char *p) { REAL(rmdir); FAIL_PATH(p, -1); return real(p); }
int mkdir(const char *p, mode_t m) { REAL(mkdir); FAIL_PATH(p, -1); return real(p, m); }
int rename(const char *a, const char *b) {
    REAL(rename); FAIL_PATH(a, -1); FAIL_PATH(b, -1); return real(a, b);
}
int renameat(int fa, const char *a, int fb, const char *b) {
    REAL(renameat); FAIL_PATH(a, -1); FAIL_PATH(b, -1); return real(fa, a, fb, b);
}
int link(const char *a, const char *b) { REAL(link); FAIL_PATH(a, -1); FAIL_PATH(b, -1); return real(a, b); }

static mode_t mode_arg(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *p, int flags, ...) {
    REAL(open); va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    FAIL_PATH(p, -1); return real(p, flags, m);
}
int open64(const char *p, int flags, ...) {
    REAL(open64); va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    FAIL_PATH(p, -1); return real(p, flags, m);
}
/* A path relative to a directory descriptor is under the prefix when that directory is. */
static int at_under_prefix(int dirfd, const char *p) {
    if (p != NULL && p[0] != '/' && dirfd != AT_FDCWD) return fd_under_prefix(dirfd);
    return under_prefix(p);
}

int openat(int dirfd, const char *p, int flags, ...) {
    REAL(openat); va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    if (triggered() && at_under_prefix(dirfd, p)) { errno = EIO; return -1; }
    return real(dirfd, p, flags, m);
}
int openat64(int dirfd, const char *p, int flags, ...) {
    REAL(openat64); va_list ap; va_start(ap, flags); mode_t m = mode_arg(flags, ap); va_end(ap);
    if (triggered() && at_under_prefix(dirfd, p)) { errno = EIO; return -1; }
    return real(dirfd, p, flags, m);
}
