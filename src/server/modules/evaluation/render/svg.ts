/** Vega-Lite spec → SVG text, in Node with no browser: compile to Vega, run a headless View, serialise. */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export const renderSvg = async (spec: TopLevelSpec): Promise<string> => {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};
