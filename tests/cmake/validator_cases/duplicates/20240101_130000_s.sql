-- DIRECTION: up
x
