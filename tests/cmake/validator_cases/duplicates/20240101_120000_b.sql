-- DIRECTION: up
y
