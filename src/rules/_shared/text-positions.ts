// Offsets in a text → 1-based line and column, for rules that match with regexes over the whole
// source: the line starts are found once, then each lookup is a binary search.

export interface TextPosition {
  line: number;
  column: number;
}

export function positionsOf(source: string): (offset: number) => TextPosition {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  };
}
