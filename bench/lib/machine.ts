/**
 * The machine a benchmark ran on: MEASURING.md asks for the CPU model and its vector extensions
 * beside every speed figure, since the same code runs at very different ratios on different CPUs.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/** The extensions that change ONNX Runtime's and Tesseract's kernels, as /proc/cpuinfo names them. */
const EXTENSIONS: readonly [flag: string, name: string][] = [
  ['avx2', 'AVX2'], ['fma', 'FMA'], ['avx512f', 'AVX-512F'], ['avx512bw', 'AVX-512BW'], ['avx512_vnni', 'AVX-512 VNNI'],
  ['avx_vnni', 'AVX-VNNI'], ['avx512_bf16', 'AVX-512 BF16'], ['amx_tile', 'AMX'], ['amx_int8', 'AMX-INT8'],
];

export interface MachineInfo {
  cpu: string;
  cores: number;
  /** Vector extensions present, e.g. ['AVX2', 'FMA', 'AVX-512F', 'AVX-512 VNNI']. */
  vectorExtensions: string[];
}

export function machineInfo(): MachineInfo {
  let flags = new Set<string>();
  try {
    const line = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
    flags = new Set(line.split(/\s+/));
  } catch { /* not Linux: no flags to report */ }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    vectorExtensions: EXTENSIONS.filter(([f]) => flags.has(f)).map(([, n]) => n),
  };
}

/** "AMD EPYC (AVX2, FMA, AVX-512F, …)": the CPU as every table names it. */
export function cpuLabel(m: MachineInfo): string {
  return `${m.cpu} (${m.vectorExtensions.length > 0 ? m.vectorExtensions.join(', ') : 'no AVX2'})`;
}
