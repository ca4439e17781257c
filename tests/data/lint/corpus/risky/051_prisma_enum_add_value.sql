-- expect: require-enum-value-ordering
-- AlterEnum
ALTER TYPE "OrderStatus" ADD VALUE 'REFUNDED';
