/** The source line under a Learn widget: where its equation comes from in the paper and in the official code. */
export interface SourceProps {
  /** The paper's section and equation, e.g. "§4.2, eq. 49–50". */
  paper: string;
  /** The official code's file and function, e.g. "bfn.py, CtsBayesianFlow.get_prior_input_params". */
  code?: string;
  /** This project's function that computed the numbers, e.g. "src/bfn/continuous.ts ctsBayesianUpdate". */
  ours: string;
}

/** Where a widget's equation and numbers come from. */
export function Source({ paper, code, ours }: SourceProps) {
  return (
    <p className="learn-source">
      Source: Graves et al. 2023, {paper}{code ? <>; official code <code>{code}</code></> : null}. Computed here by <code>{ours}</code>.
    </p>
  );
}
