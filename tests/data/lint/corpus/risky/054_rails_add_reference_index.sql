-- expect: add-column-not-null-without-default, create-index-without-concurrently, add-foreign-key-without-not-valid
-- Rails: add_reference :orders, :customer, null: false, foreign_key: true
ALTER TABLE "orders" ADD "customer_id" bigint NOT NULL;
CREATE INDEX "index_orders_on_customer_id" ON "orders" ("customer_id");
ALTER TABLE "orders" ADD CONSTRAINT "fk_rails_3dad120da3"
FOREIGN KEY ("customer_id")
  REFERENCES "customers" ("id")
;
