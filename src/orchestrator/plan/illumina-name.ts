/**
 * Sample, lane and read from a BCLConvert / DRAGEN FASTQ name, `<sample>_S<n>_L<lane>_<R|I><read>_001.<ext>`
 * (Illumina's naming convention; `.fastq`, `.fq`, either gzipped, or `.fastq.ora`, any case). Runs converted
 * without lane splitting drop `_L<lane>`: sample and read still parse, the lane is empty.
 */
export interface IlluminaName {
  sample: string;
  /** The lane number without its zero padding (`L001` → `1`); empty without lane splitting. */
  lane: string;
  /** `R1`, `R2`, or an index read `I1`, `I2`, as in the name. */
  read: string;
}

const ILLUMINA_FASTQ = /^(.+?)_S\d+(?:_L(\d{3}))?_([RI]\d)_\d{3}\.(?:(?:fastq|fq)(?:\.gz)?|fastq\.ora)$/i;

/** The parts of an Illumina FASTQ name, or undefined when the name does not follow the convention. */
export function parseIlluminaName(fileName: string): IlluminaName | undefined {
  const m = ILLUMINA_FASTQ.exec(fileName);
  if (!m) return undefined;
  return { sample: m[1] as string, lane: m[2] === undefined ? "" : String(Number(m[2])), read: (m[3] as string).toUpperCase() };
}
