-- expect: cluster, non-transactional-in-transaction
CLUSTER;
