  --direction :UP  
SELECT 1;
	--   Direction:down
SELECT 2;
