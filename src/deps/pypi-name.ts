// PEP 503 name normalisation: runs of `-`, `_`, `.` become one `-`, lower case. PyPI, pip and
// OSV all compare Python distribution names this way (`Flask_SQLAlchemy` = `flask-sqlalchemy`).
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
