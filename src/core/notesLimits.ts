/**
 * Files larger than this (in UTF-8 bytes) are refused with one problem instead of being indexed. The
 * extension checks the size with stat before reading; a thousand pages of notes are well under it.
 * Kept apart from the importer so the extension can check it without loading markdown-it.
 */
export const MAX_NOTES_BYTES = 2 * 1024 * 1024;
