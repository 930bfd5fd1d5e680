/*
 * cpuid-mask.so: makes a process and its children see an AVX2-only x86-64 CPU (no AVX-512,
 * no VNNI, no AMX, no AVX10) on a machine that has them, so the benchmark can measure what
 * docr and its peers run on ordinary CPUs (issue 11). ONNX Runtime, Tesseract and V8 pick their
 * kernels from the CPUID instruction and offer no switch to restrict them.
 *
 * How: Linux's CPUID faulting (arch_prctl ARCH_SET_CPUID, needs the `cpuid_fault` CPU flag)
 * turns every CPUID into a SIGSEGV; the handler runs the real CPUID, clears the feature bits
 * and resumes after the instruction. The process keeps the handler first in line even when
 * the program installs its own (Node and V8 do): `sigaction(SIGSEGV)` is interposed and the
 * program's handler is called for every other fault. `/proc/cpuinfo` is served with the same
 * flags removed, for code that reads the flags there (docr's own VNNI check).
 * The setting is per thread, inherited by threads and forks, and reset by exec: LD_PRELOAD
 * carries it into child processes. Build and run: bench/avx2-only/run.sh COMMAND...
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <cpuid.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef ARCH_SET_CPUID
#define ARCH_SET_CPUID 0x1012
#endif

static struct sigaction app_segv; /* the program's own SIGSEGV disposition */
static int installed;

static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);

/* Feature bits of an AVX2-era CPU (Haswell to Zen 3) are kept; these are cleared. */
static void mask(unsigned leaf, unsigned sub, unsigned *a, unsigned *b, unsigned *c, unsigned *d) {
  if (leaf == 7 && sub == 0) {
    /* EBX: AVX512F 16, DQ 17, IFMA 21, PF 26, ER 27, CD 28, BW 30, VL 31 */
    *b &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31));
    /* ECX: VBMI 1, VBMI2 6, VNNI 11, BITALG 12, VPOPCNTDQ 14 */
    *c &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
    /* EDX: 4VNNIW 2, 4FMAPS 3, VP2INTERSECT 8, AMX-BF16 22, AVX512-FP16 23, AMX-TILE 24, AMX-INT8 25 */
    *d &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25));
  } else if (leaf == 7 && sub == 1) {
    /* EAX: AVX-VNNI 4, AVX512-BF16 5, AVX-IFMA 23; EDX: AVX-VNNI-INT8 4, AVX10 19 */
    *a &= ~((1u << 4) | (1u << 5) | (1u << 23));
    *d &= ~((1u << 4) | (1u << 19));
  } else if (leaf == 0x1d || leaf == 0x1e || leaf == 0x24) {
    *a = *b = *c = *d = 0; /* AMX tile and AVX10 leaves */
  }
}

static void on_segv(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  greg_t *r = uc->uc_mcontext.gregs;
  const unsigned char *pc = (const unsigned char *)r[REG_RIP];
  if (si->si_code == SI_KERNEL && pc[0] == 0x0f && pc[1] == 0xa2) {
    unsigned a, b, c, d, leaf = (unsigned)r[REG_RAX], sub = (unsigned)r[REG_RCX];
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
    __cpuid_count(leaf, sub, a, b, c, d);
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
    mask(leaf, sub, &a, &b, &c, &d);
    r[REG_RAX] = a; r[REG_RBX] = b; r[REG_RCX] = c; r[REG_RDX] = d;
    r[REG_RIP] += 2;
    return;
  }
  if (app_segv.sa_flags & SA_SIGINFO) { app_segv.sa_sigaction(sig, si, ucv); return; }
  if (app_segv.sa_handler != SIG_DFL && app_segv.sa_handler != SIG_IGN) { app_segv.sa_handler(sig); return; }
  /* No handler of the program's: die of the fault as it would have. */
  struct sigaction dfl = { .sa_handler = SIG_DFL };
  real_sigaction(SIGSEGV, &dfl, NULL);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (!real_sigaction) real_sigaction = dlsym(RTLD_NEXT, "sigaction");
  if (sig != SIGSEGV || !installed) return real_sigaction(sig, act, old);
  if (old) *old = app_segv;
  if (act) app_segv = *act;
  return 0;
}

/* /proc/cpuinfo without the cleared features' flags, as an unlinked memory file. */
static int masked_cpuinfo(void) {
  static const char *drop[] = { "avx512f", "avx512dq", "avx512ifma", "avx512pf", "avx512er", "avx512cd", "avx512bw",
    "avx512vl", "avx512vbmi", "avx512_vbmi2", "avx512_vnni", "avx512_bitalg", "avx512_vpopcntdq", "avx512_4vnniw",
    "avx512_4fmaps", "avx512_vp2intersect", "amx_bf16", "avx512_fp16", "amx_tile", "amx_int8", "avx_vnni",
    "avx512_bf16", "avx_ifma", "avx_vnni_int8", "avx10", 0 };
  FILE *in = fopen("/proc/cpuinfo", "r"); /* fopen is not interposed */
  if (!in) return -1;
  int fd = memfd_create("cpuinfo", MFD_CLOEXEC);
  char line[8192];
  while (fgets(line, sizeof line, in)) {
    if (strncmp(line, "flags", 5) == 0) {
      char out[8192] = "", *save, *colon = strchr(line, ':');
      if (colon) {
        strncat(out, line, (size_t)(colon - line + 1));
        for (char *w = strtok_r(colon + 1, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
          int keep = 1;
          for (const char **x = drop; *x; x++) if (strcmp(w, *x) == 0) keep = 0;
          if (keep) { strcat(out, " "); strcat(out, w); }
        }
        strcat(out, "\n");
        if (write(fd, out, strlen(out)) < 0) break;
        continue;
      }
    }
    if (write(fd, line, strlen(line)) < 0) break;
  }
  fclose(in);
  lseek(fd, 0, SEEK_SET);
  return fd;
}

static int is_cpuinfo(const char *p) { return p && strcmp(p, "/proc/cpuinfo") == 0; }
#define MODE_ARG(flags) mode_t mode = 0; if ((flags) & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
int open(const char *p, int flags, ...) { MODE_ARG(flags); if (is_cpuinfo(p)) return masked_cpuinfo(); if (!real_open) real_open = dlsym(RTLD_NEXT, "open"); return real_open(p, flags, mode); }
int open64(const char *p, int flags, ...) { MODE_ARG(flags); if (is_cpuinfo(p)) return masked_cpuinfo(); if (!real_open64) real_open64 = dlsym(RTLD_NEXT, "open64"); return real_open64(p, flags, mode); }
int openat(int dir, const char *p, int flags, ...) { MODE_ARG(flags); if (is_cpuinfo(p)) return masked_cpuinfo(); if (!real_openat) real_openat = dlsym(RTLD_NEXT, "openat"); return real_openat(dir, p, flags, mode); }
int openat64(int dir, const char *p, int flags, ...) { MODE_ARG(flags); if (is_cpuinfo(p)) return masked_cpuinfo(); if (!real_openat64) real_openat64 = dlsym(RTLD_NEXT, "openat64"); return real_openat64(dir, p, flags, mode); }

__attribute__((constructor)) static void start(void) {
  real_sigaction = dlsym(RTLD_NEXT, "sigaction");
  struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER };
  sigemptyset(&sa.sa_mask);
  real_sigaction(SIGSEGV, &sa, &app_segv);
  installed = 1;
  if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0) {
    fprintf(stderr, "cpuid-mask: this CPU or kernel has no CPUID faulting (cpuid_fault flag); cannot hide AVX-512\n");
    _exit(97);
  }
}
