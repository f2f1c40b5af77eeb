import { useT } from '../../i18n';
import { whenValid } from '../../lib/select-value';
import { UpDownSchema, useSettingsStore } from '../../state/settings-store';

/** Red-up / green-up: applies at once (a display preference of this browser, not saved on the node). */
export function UpDownColours() {
  const t = useT();
  const upDown = useSettingsStore((s) => s.upDown);
  const setUpDown = useSettingsStore((s) => s.setUpDown);
  return (
    <div className="field">
      <label htmlFor="f-updown">{t('settings.upDown')}</label>
      <div className="control">
        <select
          id="f-updown"
          value={upDown}
          onChange={(e) => whenValid(UpDownSchema, e.target.value, setUpDown)}
          data-testid="settings-updown"
        >
          <option value="auto">{t('settings.upDown.auto')}</option>
          <option value="red-up">{t('settings.upDown.redUp')}</option>
          <option value="green-up">{t('settings.upDown.greenUp')}</option>
        </select>
        <div className="hint">
          <span className="up">▲ +1.23</span> <span className="down">▼ −1.23</span> · {t('settings.upDown.hint')}
        </div>
      </div>
    </div>
  );
}
