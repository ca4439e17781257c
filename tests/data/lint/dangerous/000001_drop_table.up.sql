-- Data loss: the table and its rows are gone.
DROP TABLE user_preferences;
