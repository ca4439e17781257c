-- DIRECTION: up
x