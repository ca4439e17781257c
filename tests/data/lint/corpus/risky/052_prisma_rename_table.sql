-- expect: rename-table
-- AlterTable
ALTER TABLE "Post" RENAME TO "Article";
