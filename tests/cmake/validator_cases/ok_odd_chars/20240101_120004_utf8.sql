-- héllo wörld ✓ 😀
-- DIRECTION: up
SELECT 'ü';
