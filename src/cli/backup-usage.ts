// Kept apart from backup.ts so `tandem --help` does not load the database code.
export const backupUsage = `tandem backup <file.tar.gz>

Writes a consistent snapshot of the embedded database (TANDEM_DATA_DIR, default ./data) to a new file.
If Tandem is running on that folder, the running server takes the snapshot between transactions (the database
can be open in one process at a time); otherwise this command opens the folder itself.
Uploaded documents (TANDEM_FILES_DIR, default <data dir>/files) are files: copy that folder too.
With DATABASE_URL set, use pg_dump instead (docs/operations.md).`;

export const restoreUsage = `tandem restore <file.tar.gz>

Restores a backup made by tandem backup into TANDEM_DATA_DIR, which must not exist or be empty.`;
